/** success_echo_conformance: a 2xx body echoes what was sent, after Kubernetes' only
 * defaulting (ports[].protocol "" or absent → the contract's default, TCP; rules S19): subsets
 * in order and grouping as sent, name, namespace, labels and annotations as sent. Fields the
 * contract does not know are pruned on both sides (a server drops unknown fields; it may add
 * its own). */
import { defaultProtocol } from '../../spec/contractRules.ts';
import { bodyObject, isJsonObject } from './answerBody.ts';
import { firstDifference, normalisedMember, pruneToSchema } from './jsonComparison.ts';
import { fail, isSuccess, pass } from './exchange.ts';
import type { Check, StepExchange } from './exchange.ts';

/** `subsets` with every port whose protocol is unset (absent, null or "") given `protocol`. */
function withDefaultedProtocols(subsets: unknown, protocol: string): unknown {
  if (!Array.isArray(subsets)) return subsets;
  return subsets.map((subset) => {
    if (!isJsonObject(subset) || !Array.isArray(subset.ports)) return subset;
    const ports = subset.ports.map((port) =>
      isJsonObject(port) && (port.protocol === undefined || port.protocol === null || port.protocol === '')
        ? { ...port, protocol }
        : port,
    );
    return { ...subset, ports };
  });
}

/** The namespace segment of an instantiated path `/api/v1/namespaces/{ns}/endpoints/{name}`. */
export function pathNamespace(path: string): string | undefined {
  const match = /\/namespaces\/([^/?]+)\//.exec(path);
  return match === null ? undefined : decodeURIComponent(match[1]);
}

function sentObject(exchange: StepExchange): Record<string, unknown> | undefined {
  const body = exchange.step.request.body;
  return body.kind === 'json' && isJsonObject(body.value) ? body.value : undefined;
}

export const successEchoConformance: Check = {
  name: 'success_echo_conformance',
  description: 'a 2xx answer echoes the object as sent after defaulting (subsets, protocol TCP, name, namespace, labels, annotations)',
  appliesTo: (exchange) =>
    exchange.step.expect.echo === true &&
    exchange.response !== undefined &&
    isSuccess(exchange.response.status) &&
    sentObject(exchange) !== undefined,
  judge(exchange, environment) {
    const sent = sentObject(exchange) ?? {};
    const answered = bodyObject(exchange.body);
    if (answered === undefined) return fail('the object echoed in the answer', 'no JSON object in the answer');
    const schemas = environment.contract.schemas;
    const subsetsSchema = schemas.Endpoints?.properties?.subsets as Parameters<typeof pruneToSchema>[1];
    const sentMetadata = isJsonObject(sent.metadata) ? sent.metadata : {};
    const answeredMetadata = isJsonObject(answered.metadata) ? answered.metadata : {};
    const comparisons: Array<[string, unknown, unknown]> = [
      [
        'subsets',
        normalisedMember(pruneToSchema(withDefaultedProtocols(sent.subsets, defaultProtocol(environment.contract)), subsetsSchema)),
        normalisedMember(pruneToSchema(answered.subsets, subsetsSchema)),
      ],
      ['metadata.name', sentMetadata.name, answeredMetadata.name],
      ['metadata.namespace', sentMetadata.namespace ?? pathNamespace(exchange.step.request.path), answeredMetadata.namespace],
      ['metadata.labels', normalisedMember(sentMetadata.labels), normalisedMember(answeredMetadata.labels)],
      ['metadata.annotations', normalisedMember(sentMetadata.annotations), normalisedMember(answeredMetadata.annotations)],
    ];
    for (const [field, expected, actual] of comparisons) {
      const difference = firstDifference(expected, actual, field);
      if (difference !== undefined) return fail(`${field} echoed as sent (after defaulting)`, difference);
    }
    return pass;
  },
};
