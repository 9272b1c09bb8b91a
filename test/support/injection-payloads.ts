/** Shell and parser injection payloads every parser of a remote-command value must reject. */
export const INJECTION_PAYLOADS: readonly string[] = [
  ';', '; reboot', '$(id)', '`id`', '\n', '\nwg set wg0 peer x remove', '\0', ' ', '\t', 'a b',
  '&&', '|', '>', '<', "'", '"', '\\', 'é', '\u202e', '\u00a0', '１', '٣', '🔑',
];
