/** The cases generated and not handed out yet, numbered in run order as their chunks arrive
 * (from the runner's own generation, caseFeed.ts, or from the worker, workerCaseFeed.ts). */
import type { CaseCategory } from '../../generators/categories.ts';
import type { CaseChunk } from './caseChunks.ts';
import type { FedCase } from './caseFeed.ts';

export class FedCaseQueue {
  private readonly ready: Array<FedCase | undefined> = [];
  private head = 0;
  private number = 0;

  /** Cases ready to hand out. */
  get size(): number {
    return this.ready.length - this.head;
  }

  /** `categories`: what the chunk's category index points into. */
  add(chunk: CaseChunk, categories: readonly CaseCategory[]): void {
    for (let index = 0; index < chunk.cases.length; index += 1) {
      this.number += 1;
      this.ready.push({ category: categories[chunk.category], generated: chunk.cases[index], number: this.number, bodyChars: chunk.sizes[index] });
    }
  }

  take(): FedCase | undefined {
    if (this.head >= this.ready.length) return undefined;
    const fed = this.ready[this.head];
    this.ready[this.head] = undefined;
    this.head += 1;
    if (this.head === this.ready.length) {
      this.ready.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      // a source that stays ahead never lets the queue empty: drop the taken slots now and then
      this.ready.splice(0, this.head);
      this.head = 0;
    }
    return fed;
  }
}
