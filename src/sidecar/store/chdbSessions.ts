import { Session } from 'chdb';

/**
 * Sessions on one chDB data directory. A session runs one statement at a time; sessions on the same
 * directory share the engine and its data and run side by side, as clients of a server do. Each
 * statement goes to the session with the fewest statements waiting, so a quick query does not
 * queue behind a long one while another session is free.
 */
export class ChdbSessions {
  private readonly sessions: Array<{ session: Session; running: number }>;

  constructor(path: string, count: number) {
    this.sessions = Array.from({ length: count }, () => ({ session: new Session(path), running: 0 }));
  }

  async run<T>(statement: (session: Session) => Promise<T>): Promise<T> {
    const least = this.sessions.reduce((a, b) => (b.running < a.running ? b : a));
    least.running++;
    try {
      return await statement(least.session);
    } finally {
      least.running--;
    }
  }

  close(): void {
    for (const { session } of this.sessions) {
      session.close();
    }
  }
}
