// A poll loop's pause that something else can cut short: the claim loops sleep between polls and a
// NOTIFY (or a cancel, or stop) wakes them at once instead of waiting out the interval.
export class WakeableDelay {
  private wakeUp?: () => void;

  /** Resolves after `ms`, or as soon as `wake()` is called. */
  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current wait (a no-op when none is running). */
  wake(): void {
    this.wakeUp?.();
  }
}
