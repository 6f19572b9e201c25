/** A review player for pool tests (renderer/review/player-pool.ts): counts parks, remembers disposal. */
import type { PooledPlayer } from '../../renderer/review/player-pool.js';

export class FakePlayer implements PooledPlayer {
  parks = 0;
  disposed = false;
  constructor(readonly id: string) {}
  park(): void { this.parks++; }
  dispose(): void { this.disposed = true; }
}
