import { ShieldCheck, ShieldOff } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, CardBody, CardHeader, ErrorMessage, Input, Notice } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { confirmTotp, disableTotp, enrolTotp, type TotpEnrolment } from '../api/totp';
import { accountError } from './error-texts';
import { RecoveryCodes } from './recovery-codes';
import { TotpQrCode } from './totp-qr-code';

/** Two-step sign-in: enrol (QR code, confirm with a code, recovery codes once) or turn off with a code. */
export function TotpCard({ enabled, adminNeedsTotp, onChanged }: { enabled: boolean; adminNeedsTotp: boolean; onChanged: () => void }) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const start = useMutation(enrolTotp);
  const confirm = useMutation(confirmTotp);
  const disable = useMutation(disableTotp);

  const onConfirm = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await confirm.mutate(code.trim());
      setRecoveryCodes(r.recoveryCodes);
      setEnrolment(null);
      setCode('');
    } catch {
      // shown below
    }
  };

  const onDisable = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await disable.mutate(code.trim());
      setCode('');
      onChanged();
    } catch {
      // shown below
    }
  };

  const status = enabled || recoveryCodes ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>;
  return (
    <Card>
      <CardHeader title={<span className="flex items-center gap-2">Two-step sign-in (TOTP) {status}</span>} description="A 6-digit code from an authenticator app, asked at every sign-in." />
      <CardBody className="space-y-4">
        {adminNeedsTotp && !recoveryCodes ? <Notice tone="warning">Administrator pages stay locked until two-step sign-in is on.</Notice> : null}
        {recoveryCodes ? (
          <RecoveryCodes
            codes={recoveryCodes}
            onDone={() => {
              setRecoveryCodes(null);
              onChanged();
            }}
          />
        ) : enrolment ? (
          <form onSubmit={onConfirm} className="space-y-4" aria-label="Confirm two-step sign-in">
            <p className="text-sm">Scan this with your authenticator app, then enter the code it shows.</p>
            <TotpQrCode otpauthUrl={enrolment.otpauthUrl} />
            <p className="text-sm text-slate-500 dark:text-slate-400">
              Or type this key: <code className="font-mono break-all" data-testid="totp-secret">{enrolment.secret}</code>
            </p>
            <Input className="max-w-48" label="Code from the app" name="totpCode" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" required value={code} onChange={(e) => setCode(e.target.value)} />
            <ErrorMessage error={accountError(confirm.error)} />
            <div className="flex gap-2">
              <Button type="submit" loading={confirm.isPending} icon={<ShieldCheck className="size-4" aria-hidden="true" />}>
                Turn on
              </Button>
              <Button variant="ghost" onClick={() => setEnrolment(null)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : enabled ? (
          <form onSubmit={onDisable} className="space-y-4" aria-label="Turn off two-step sign-in">
            <Input className="max-w-64" label="Current code or a recovery code" name="totpDisableCode" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            <ErrorMessage error={accountError(disable.error)} />
            <Button type="submit" variant="danger" loading={disable.isPending} icon={<ShieldOff className="size-4" aria-hidden="true" />}>
              Turn off
            </Button>
          </form>
        ) : (
          <>
            <ErrorMessage error={accountError(start.error)} />
            <Button
              loading={start.isPending}
              icon={<ShieldCheck className="size-4" aria-hidden="true" />}
              onClick={async () => {
                try {
                  setEnrolment(await start.mutate(undefined));
                } catch {
                  // shown above
                }
              }}
            >
              Set up two-step sign-in
            </Button>
          </>
        )}
      </CardBody>
    </Card>
  );
}
