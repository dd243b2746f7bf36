import { GroupCommit } from './groupCommit';

function recorder(fail?: (items: number[]) => boolean) {
  const writes: number[][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const write = async (items: number[]) => {
    writes.push(items);
    if (hold) {
      await new Promise<void>((resolve) => (release = resolve));
    }
    if (fail?.(items)) {
      throw new Error(`write of ${items.join(',')} failed`);
    }
  };
  return {
    writes,
    write,
    holdWrites: () => (hold = true),
    releaseWrite: () => {
      hold = false;
      release?.();
    },
  };
}

const options = { maxItems: 10, lingerMs: 20 };

describe('GroupCommit', () => {
  it('writes adds that arrive within the linger together, and resolves each when written', async () => {
    const r = recorder();
    const commit = new GroupCommit(r.write, options);
    await Promise.all([commit.add([1, 2]), commit.add([3]), commit.add([4, 5])]);
    expect(r.writes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('writes at once when a write is full, and never splits one add', async () => {
    const r = recorder();
    const commit = new GroupCommit(r.write, options);
    await Promise.all([commit.add([1, 2, 3, 4, 5, 6]), commit.add([7, 8, 9, 10, 11]), commit.add([12])]);
    expect(r.writes).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
    ]);
  });

  it('gathers what arrives during a write into the next one', async () => {
    const r = recorder();
    r.holdWrites();
    const commit = new GroupCommit(r.write, options);
    const first = commit.add([1]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(r.writes).toEqual([[1]]);
    const later = [commit.add([2]), commit.add([3]), commit.add([4])];
    r.releaseWrite();
    await Promise.all([first, ...later]);
    expect(r.writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects exactly the adds whose write failed, with its error', async () => {
    const r = recorder((items) => items.includes(7));
    const commit = new GroupCommit(r.write, { ...options, maxItems: 2 });
    const results = await Promise.allSettled([commit.add([6]), commit.add([7]), commit.add([8]), commit.add([9])]);
    expect(r.writes).toEqual([
      [6, 7],
      [8, 9],
    ]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('write of 6,7 failed');
  });
});
