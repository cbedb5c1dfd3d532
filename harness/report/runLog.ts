/** The run log: everything the command printed during a run (stdout and stderr, in order), kept
 * so it can be written beside the reports as run.log and put into a bundle. */
type Write = typeof process.stdout.write;

export interface OutputCapture {
  /** What was printed since the capture began (carriage-return progress lines become lines). */
  text(): string;
  stop(): void;
}

export function captureOutput(): OutputCapture {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index] as Write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
  });
  return {
    text: () => chunks.join('').replace(/\r(?!\n)/g, '\n'),
    stop: () =>
      streams.forEach((stream, index) => {
        stream.write = originals[index] as Write;
      }),
  };
}
