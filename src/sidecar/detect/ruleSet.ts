import type { RuleError } from './errors';
import { loadRules, type LoadedRules } from './load';
import { planOf, type RulePlan } from './plan';
import type { DetectionRule } from './types';

/** The rules a sidecar runs, read from its rule paths (the pack and the user's files), and how each is run. */
export class RuleSet {
  private rules: DetectionRule[] = [];
  private errors: RuleError[] = [];
  private plans = new Map<string, RulePlan>();

  constructor(private readonly read: () => LoadedRules) {}

  /** The rules of these files and directories. */
  static fromPaths(paths: string[]): RuleSet {
    return new RuleSet(() => loadRules(paths));
  }

  /** Reads the rules again; the rules that load replace the old set. */
  load(): { rules: number; errors: RuleError[] } {
    const loaded = this.read();
    this.rules = loaded.rules;
    this.errors = loaded.errors;
    this.plans = new Map(loaded.rules.map((r) => [r.id, planOf(r)]));
    return { rules: loaded.rules.length, errors: loaded.errors };
  }

  all(): DetectionRule[] {
    return this.rules;
  }

  /** The rules that run on their own (not only inside correlations). */
  standalone(): DetectionRule[] {
    return this.rules.filter((r) => r.standalone);
  }

  loadErrors(): RuleError[] {
    return this.errors;
  }

  get(id: string): DetectionRule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  plan(rule: DetectionRule): RulePlan {
    let plan = this.plans.get(rule.id);
    if (!plan) {
      plan = planOf(rule);
      this.plans.set(rule.id, plan);
    }
    return plan;
  }
}
