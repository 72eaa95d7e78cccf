// Work a Durable Object must do in order, one task at a time.

/** Runs tasks one at a time, in the order they were given; a task that fails does not stop the next. */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
