/** The objects a finished case wrote, each with what the answer to the case's last write of it
 * showed (uid, resourceVersion, labels), or undefined when that answer did not show the stored
 * object (an error, no answer, a body that is not one). The janitor deletes them while the run
 * goes on (Janitor.release). */
import type { ObservedObject } from '../cleanup/janitor.ts';
import type { CaseFiring } from './fireCase.ts';
import { isWriteMethod, writtenObjectName } from './outgoingRequest.ts';
import { isJsonObject } from '../checks/answerBody.ts';

function observedIn(value: unknown, name: string): ObservedObject | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.metadata)) return undefined;
  const { metadata } = value;
  if (metadata.name !== name || typeof metadata.uid !== 'string' || typeof metadata.resourceVersion !== 'string') return undefined;
  const labels: Record<string, string> = {};
  if (isJsonObject(metadata.labels)) for (const [key, label] of Object.entries(metadata.labels)) if (typeof label === 'string') labels[key] = label;
  return { uid: metadata.uid, resourceVersion: metadata.resourceVersion, labels };
}

export function objectsWrittenByCase(firing: CaseFiring, namespace: string): Map<string, ObservedObject | undefined> {
  const written = new Map<string, ObservedObject | undefined>();
  for (const { exchange } of firing.steps) {
    if (!isWriteMethod(exchange.step.request.method) || exchange.dryRun) continue;
    const name = writtenObjectName(exchange.step.request.path, namespace);
    if (name === undefined) continue;
    const status = exchange.response?.status;
    const succeeded = status !== undefined && status >= 200 && status < 300;
    // a refused write (4xx) leaves the object as the previous answer showed it
    if (succeeded || !written.has(name) || status === undefined || status >= 500) {
      written.set(name, succeeded && exchange.body.kind === 'json' ? observedIn(exchange.body.value, name) : undefined);
    }
  }
  return written;
}
