/** JUnit distinguishes a test that failed (`<failure>`: the target does not conform) from one
 * that could not be carried out (`<error>`: the run could not be made). mocha's xunit reporter
 * writes `<failure>` for every failed test; the test that carries a run's `error` verdict is
 * titled with `runErrorTitlePrefix`, and its `<failure>` becomes an `<error>` naming the cause. */

export const runErrorTitlePrefix = 'error: ';

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rewrites the failure of each test whose name starts with the prefix into an error of `type`
 * (the cause) with `message` (the reason). Other tests are left as they are. */
export function markRunErrors(junit: string, type: string, message: string): string {
  const escapedPrefix = attribute(runErrorTitlePrefix).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(<testcase [^>]*name="${escapedPrefix}[^"]*"[^>]*>)<failure>([\\s\\S]*?)</failure>`, 'g');
  const marked = junit.replace(pattern, (_match, open: string, body: string) => `${open}<error message="${attribute(message)}" type="${attribute(type)}">${body}</error>`);
  return countedSuite(marked);
}

/** mocha's xunit reporter counts every failed test as an error in the <testsuite> tag; count
 * failures and errors as they are. */
function countedSuite(junit: string): string {
  const failures = (junit.match(/<failure>/g) ?? []).length;
  const errors = (junit.match(/<error /g) ?? []).length;
  return junit.replace(/(<testsuite [^>]*?)failures="\d+" errors="\d+"/, `$1failures="${failures}" errors="${errors}"`);
}
