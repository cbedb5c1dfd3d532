/**
 * The behaviours of the replace-Endpoints operation that differ between Kubernetes releases: one
 * row per behaviour, each with the releases where each variant holds and the source that says so.
 *
 * This is data describing the world, like the contract document. The harness reads it to judge a
 * target by the release it faces (harness/release/), the reference server reads it to emulate a
 * release (--kubernetes-version); each keeps its own logic.
 */

/** A Kubernetes release as major.minor (patch releases do not change these behaviours). */
export interface KubernetesRelease {
  major: number;
  minor: number;
}

export type ReleaseDifferenceId =
  | 'field-validation'
  | 'ipv4-leading-zeros'
  | 'ip-format-warnings'
  | 'endpoints-deprecation-warning'
  | 'name-and-namespace-mismatch'
  | 'url-name-path-segment'
  | 'resource-version-not-a-number';

/** One variant of a behaviour and the minor releases (of 1.x) where it holds, bounds inclusive. */
export interface ReleaseVariant {
  fromMinor?: number;
  untilMinor?: number;
  behaviour: string;
}

export interface ReleaseDifference {
  id: ReleaseDifferenceId;
  subject: string;
  variants: ReleaseVariant[];
  /** Kubernetes source files / PRs / KEPs, or the measurement, that say so. */
  sources: string[];
  /** The harness categories whose expectations depend on this row. */
  categories: string[];
}

/** The release boundaries, by name, for code that branches on them. */
export const releaseBoundaries = {
  /** fieldValidation exists from 1.23 (alpha, gate ServerSideFieldValidation off by default)… */
  fieldValidationAlpha: 23,
  /** …and is honoured by default from 1.25 (beta), GA in 1.27. */
  fieldValidationOnByDefault: 25,
  /** From 1.22 IPs are parsed with k8s.io/utils/net ParseIPSloppy: leading zeros accepted whatever Go. */
  ipParsedSloppily: 22,
  /** The reference server's model of GetWarningsForIP (IP-format Warning headers). */
  ipFormatWarnings: 30,
  /** Every v1 Endpoints answer carries a deprecation Warning. */
  endpointsDeprecationWarning: 33,
  /** IPv4 leading zeros and IPv4-mapped IPv6 rejected (StrictIPCIDRValidation). */
  strictIpValidation: 36,
  /** The handler checks the body's namespace before its name (EnsureObjectNamespaceMatchesRequestNamespace). */
  namespaceCheckedBeforeName: 21,
} as const;

const b = releaseBoundaries;

export const kubernetesReleaseDifferences: readonly ReleaseDifference[] = Object.freeze([
  {
    id: 'field-validation',
    subject: 'the fieldValidation query parameter (Strict/Warn/Ignore) and unknown/duplicate-field handling',
    variants: [
      { untilMinor: b.fieldValidationAlpha - 1, behaviour: 'no such parameter: any value is ignored; unknown and duplicate fields are dropped silently, no Warning' },
      {
        fromMinor: b.fieldValidationAlpha,
        untilMinor: b.fieldValidationOnByDefault - 1,
        behaviour: 'the parameter exists behind the alpha gate ServerSideFieldValidation (off by default): whether it is honoured depends on the cluster',
      },
      { fromMinor: b.fieldValidationOnByDefault, behaviour: 'values other than ""/Ignore/Warn/Strict are 422; Strict refuses unknown/duplicate fields with 400; Warn (the default) answers with a Warning' },
    ],
    sources: [
      'KEP-2885 server-side unknown field validation: alpha 1.23, beta 1.25, GA 1.27 (kubernetes/enhancements#2885)',
      'staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateUpdateOptions (fieldValidation values)',
      'measured: kube-apiserver v1.20.2 ignores fieldValidation=<anything> and drops unknown fields without a Warning',
    ],
    categories: ['field-validation-invalid', 'unknown-field-strict'],
  },
  {
    id: 'ipv4-leading-zeros',
    subject: 'IPv4 addresses with leading zeros (and IPv4-mapped IPv6) in subsets[].addresses[].ip',
    variants: [
      {
        untilMinor: b.ipParsedSloppily - 1,
        behaviour: 'decided by the Go net.ParseIP the binary was built with: Go < 1.17 (official builds) accepts, Go >= 1.17 rejects with 422 (the v1.20.2 build measured here, Go 1.19)',
      },
      { fromMinor: b.ipParsedSloppily, untilMinor: b.strictIpValidation - 1, behaviour: 'accepted (netutils.ParseIPSloppy), 201' },
      { fromMinor: b.strictIpValidation, behaviour: 'rejected with 422 FieldValueInvalid (StrictIPCIDRValidation)' },
    ],
    sources: [
      'k8s.io/utils/net ParseIPSloppy (Go 1.17 net.ParseIP rejects leading zeros: CVE-2021-29923, kubernetes/kubernetes#108074)',
      'KEP-4858 IP/CIDR validation improvements (StrictIPCIDRValidation)',
      'measured: kube-apiserver v1.20.2 built with Go 1.19 answers 422 to 10.001.002.003 (../shared/kubernetes/README.md)',
    ],
    categories: ['ip-leading-zero'],
  },
  {
    id: 'ip-format-warnings',
    subject: 'Warning headers for non-canonical IP addresses',
    variants: [
      { untilMinor: b.ipFormatWarnings - 1, behaviour: 'no IP-format warnings' },
      { fromMinor: b.ipFormatWarnings, behaviour: 'a Warning per non-standard or non-canonical address (GetWarningsForIP)' },
    ],
    sources: ['pkg/api/endpoints warnings: GetWarningsForIP (k8s.io/apimachinery/pkg/util/validation/ip.go)', 'measured: kube-apiserver v1.20.2 sends none'],
    categories: [],
  },
  {
    id: 'endpoints-deprecation-warning',
    subject: 'the deprecation Warning on every v1 Endpoints answer',
    variants: [
      { untilMinor: b.endpointsDeprecationWarning - 1, behaviour: 'no deprecation warning' },
      { fromMinor: b.endpointsDeprecationWarning, behaviour: 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice' },
    ],
    sources: ['KEP-4974 deprecate v1.Endpoints (Kubernetes v1.33)', 'measured: kube-apiserver v1.20.2 sends none'],
    categories: [],
  },
  {
    id: 'name-and-namespace-mismatch',
    subject: 'which mismatch is reported when both the body name and namespace differ from the URL (both 400 BadRequest)',
    variants: [
      { untilMinor: b.namespaceCheckedBeforeName - 1, behaviour: 'the name: the handler\'s checkName runs before BeforeUpdate\'s namespace check' },
      { fromMinor: b.namespaceCheckedBeforeName, behaviour: 'the namespace: EnsureObjectNamespaceMatchesRequestNamespace runs in the handler before checkName' },
    ],
    sources: [
      'staging/src/k8s.io/apiserver/pkg/endpoints/handlers/update.go (checkName) and pkg/registry/rest/update.go BeforeUpdate (1.20)',
      'staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go EnsureObjectNamespaceMatchesRequestNamespace (later releases; first release not verified here)',
      'measured: kube-apiserver v1.20.2 reports the name',
    ],
    categories: [],
  },
  {
    id: 'url-name-path-segment',
    subject: 'a URL name containing "%", or equal to "." or ".." (a "/" in a name is a path separator once the URL is decoded)',
    variants: [{ behaviour: '400 BadRequest "Name parameter invalid: \\"…\\": may not contain \'%\'" (or may not be \'.\'/\'..\') before any validation; a name with an encoded "/" reaches no route: 404 NotFound' }],
    sources: [
      'staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go NamespaceKeyFunc: path.IsValidPathSegmentName',
      'staging/src/k8s.io/apimachinery/pkg/api/validation/path/name.go (NameMayNotBe ".", ".."; NameMayNotContain "/", "%")',
      'measured: kube-apiserver v1.20.2, PUT/GET/DELETE',
    ],
    categories: ['name-invalid', 'name-path-segment-invalid'],
  },
  {
    id: 'resource-version-not-a-number',
    subject: 'a metadata.resourceVersion that is not an unsigned integer',
    variants: [{ behaviour: '500 with strconv.ParseUint\'s error (upstream behaviour, reported, not failed); a 400 BadRequest does better and passes too' }],
    sources: ['rules note M17; storage APIObjectVersioner.ObjectResourceVersion; kubernetes/kubernetes#68208 (400 fix proposed, not merged)'],
    categories: ['resource-version-malformed'],
  },
]);

export function releaseDifference(id: ReleaseDifferenceId): ReleaseDifference {
  const row = kubernetesReleaseDifferences.find((difference) => difference.id === id);
  if (row === undefined) throw new Error(`no release difference ${id}`);
  return row;
}

/** The variant of a row that holds for a 1.x minor release. */
export function variantFor(id: ReleaseDifferenceId, minor: number): ReleaseVariant {
  const row = releaseDifference(id);
  const variant = row.variants.find((v) => (v.fromMinor === undefined || minor >= v.fromMinor) && (v.untilMinor === undefined || minor <= v.untilMinor));
  if (variant === undefined) throw new Error(`release difference ${id} has no variant for 1.${minor}`);
  return variant;
}

/** "1.20", "v1.20.2", "1.20+", "1.20.2-eks-abc" → {1, 20}; undefined for anything else. */
export function parseKubernetesRelease(text: string): KubernetesRelease | undefined {
  const match = /^v?(\d{1,3})\.(\d{1,3})(?:[.+-].*)?$/.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The answer of GET /version: major and minor ("20+" on some vendors), else gitVersion. */
export function releaseFromVersionDocument(document: unknown): KubernetesRelease | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const fields = document as Record<string, unknown>;
  if (typeof fields.gitVersion === 'string') {
    const fromGit = parseKubernetesRelease(fields.gitVersion);
    if (fromGit !== undefined) return fromGit;
  }
  if (typeof fields.major === 'string' && typeof fields.minor === 'string') {
    return parseKubernetesRelease(`${fields.major}.${fields.minor.replace(/\D+$/, '')}`);
  }
  return undefined;
}

export function formatRelease(release: KubernetesRelease): string {
  return `${release.major}.${release.minor}`;
}
