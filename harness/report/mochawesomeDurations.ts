/** mochawesome shows each test's duration and the suite's: for this report they are the time
 * mocha took to replay results already judged (0 ms per test, ~30 ms in all), not the run's, so
 * they are hidden. The run's real times are on the overview page (index.html). mochawesome has no
 * option for it; a style rule on its duration elements (CSS-module class names containing
 * "duration", and the header's "Duration" item) does it without touching its script. */
const rule =
  '<style id="endpoints-conformance-no-durations">[class*="--duration"],[class*="duration-icon"],li[title="Duration"]{display:none!important}</style>';

export function hideMochawesomeDurations(html: string): string {
  if (html.includes('endpoints-conformance-no-durations')) return html;
  const head = html.indexOf('</head>');
  return head < 0 ? rule + html : html.slice(0, head) + rule + html.slice(head);
}
