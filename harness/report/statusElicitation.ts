/** Why a documented status code was not seen in a run. Some cannot be caused by any request a
 * client makes (they depend on the server's state or load); the rest simply had no case that
 * produced them in this run. */
const notFromOutside: Record<number, string> = {
  429: 'throttling depends on the server\'s load and limits, not on the request (the harness paces itself and retries after Retry-After)',
  500: 'a server fault: no request should cause it (the harness checks that none appears; Kubernetes\' own M17 exception is noted as upstream behaviour)',
  503: 'the server or its storage is unavailable: a state of the server, not something a request can cause',
  504: 'the server timed out talking to its storage: a state of the server, not something a request can cause',
};

const rareFromOutside: Record<number, string> = {
  413: 'needs a body above the server\'s limit (3 MiB in Kubernetes); the run\'s cases stay under it',
};

export interface StatusElicitation {
  status: number;
  /** Answers carrying this status in the run (0: not seen). */
  count: number;
  documented: boolean;
  /** For a documented status not seen: why. */
  why?: string;
  /** True when no request from outside can be expected to cause it. */
  outsideReach?: boolean;
}

export function statusElicitation(documented: readonly number[], elicited: Record<string, number>): StatusElicitation[] {
  const statuses = new Set<number>([...documented, ...Object.keys(elicited).map(Number)]);
  return [...statuses]
    .sort((a, b) => a - b)
    .map((status) => {
      const count = elicited[String(status)] ?? 0;
      const isDocumented = documented.includes(status);
      if (count > 0 || !isDocumented) return { status, count, documented: isDocumented };
      const outside = notFromOutside[status];
      if (outside !== undefined) return { status, count, documented: true, why: outside, outsideReach: true };
      return { status, count, documented: true, why: rareFromOutside[status] ?? 'no case of this run produced it' };
    });
}
