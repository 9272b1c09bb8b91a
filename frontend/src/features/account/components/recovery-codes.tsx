import { Download } from 'lucide-react';
import { Button, CopyButton, Notice } from '@/components/ui';

function download(codes: string[]): void {
  const blob = new Blob([`Recovery codes (each works once)\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: 'vpn-recovery-codes.txt' });
  a.click();
  URL.revokeObjectURL(url);
}

/** The ten recovery codes, shown once right after enrolment. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="space-y-4">
      <Notice tone="warning">
        <strong>Save these recovery codes now; they are shown only once.</strong> Each one signs you in once if you lose your phone.
      </Notice>
      <ol className="grid max-w-sm grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-800">
            {c}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={codes.join('\n')} label="Copy codes" />
        <Button size="sm" variant="secondary" onClick={() => download(codes)} icon={<Download className="size-3.5" aria-hidden="true" />}>
          Download
        </Button>
        <Button size="sm" onClick={onDone}>
          I saved them
        </Button>
      </div>
    </div>
  );
}
