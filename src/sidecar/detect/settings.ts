import type { Store } from '../store/store';
import { toClickHouseTime } from '../store/time';

export interface RuleSetting {
  enabled: boolean;
  by: string;
}

/** Rules enabled or disabled through the API (every sidecar on the store reads the same); a rule without a row is enabled. */
export class RuleSettingsRepository {
  constructor(private readonly store: Store) {}

  async all(): Promise<Map<string, RuleSetting>> {
    const { rows } = await this.store.query<{ rule_id: string; enabled: number; changed_by: string }>(
      'SELECT rule_id, enabled, changed_by FROM rule_settings FINAL'
    );
    return new Map(rows.map((r) => [r.rule_id, { enabled: Number(r.enabled) === 1, by: r.changed_by }]));
  }

  async set(ruleId: string, setting: RuleSetting, at: number): Promise<void> {
    await this.store.insertRows('rule_settings', [
      { rule_id: ruleId, enabled: setting.enabled ? 1 : 0, changed_by: setting.by, changed_at: toClickHouseTime(at) },
    ]);
  }
}
