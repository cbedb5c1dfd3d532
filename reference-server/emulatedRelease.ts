/**
 * What the reference server does differently when it emulates an older release
 * (--kubernetes-version), read from the table of release differences
 * (spec/kubernetesReleaseDifferences.ts). The server's own logic decides how; the table says where.
 */
import { releaseBoundaries, type KubernetesRelease } from '../spec/kubernetesReleaseDifferences.ts';
import { goQuote } from './goText.ts';

/** The /version answer of an emulated release. */
export function emulatedVersion(release: KubernetesRelease): { major: string; minor: string; gitVersion: string } {
  const patch = release.major === 1 && release.minor === 20 ? 2 : 0;
  return { major: String(release.major), minor: String(release.minor), gitVersion: `v${release.major}.${release.minor}.${patch}` };
}

/** Before 1.23 there is no fieldValidation parameter: it is ignored, unknown fields dropped silently. */
export function hasFieldValidation(minor: number): boolean {
  return minor >= releaseBoundaries.fieldValidationAlpha;
}

/** Before 1.22 IPs were parsed with Go's net.ParseIP; the measured 1.20.2 build (Go 1.19) rejects leading zeros. */
export function rejectsIPv4LeadingZeros(minor: number): boolean {
  return minor < releaseBoundaries.ipParsedSloppily;
}

/** Before 1.21 the handler's checkName reports a name mismatch before a namespace mismatch. */
export function checksNameBeforeNamespace(minor: number): boolean {
  return minor < releaseBoundaries.namespaceCheckedBeforeName;
}

/** Whether the OpenAPI v3 documents are served (beta, on by default, from 1.24). */
export function servesOpenApiV3(minor: number): boolean {
  return minor >= 24;
}

/**
 * path.IsValidPathSegmentName, as the store's key function applies it to a URL name before
 * anything else touches the object: the 400 message, or null for a usable name.
 */
export function pathSegmentNameProblem(name: string): string | null {
  let problems: string[];
  if (name === '.' || name === '..') problems = [`may not be '${name}'`];
  else problems = ['/', '%'].filter((part) => name.includes(part)).map((part) => `may not contain '${part}'`);
  return problems.length === 0 ? null : `Name parameter invalid: ${goQuote(name)}: ${problems.join(';')}`;
}
