import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Button, Card, CardBody, CardHeader, ErrorMessage, Input, Notice } from '@/components/ui';
import { useMutation } from '@/lib/query';
import { changePassword } from '../api/change-password';
import { accountError } from './error-texts';

export function ChangePasswordCard() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const submit = useMutation(changePassword);
  const mismatch = repeat.length > 0 && repeat !== newPassword;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setDone(false);
    try {
      await submit.mutate({ currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setRepeat('');
      setDone(true);
    } catch {
      // shown below
    }
  };

  return (
    <Card>
      <CardHeader title="Password" description="Changing it signs out every other browser and device; this one stays signed in." />
      <CardBody>
        <form onSubmit={onSubmit} className="max-w-sm space-y-4" aria-label="Change password">
          <Input label="Current password" type="password" name="currentPassword" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
          <Input label="New password" type="password" name="newPassword" autoComplete="new-password" required minLength={10} maxLength={256} hint="At least 10 characters, not your email and not a common password." value={newPassword} onChange={(e) => setNew(e.target.value)} />
          <Input label="Repeat the new password" type="password" name="repeatPassword" autoComplete="new-password" required value={repeat} error={mismatch ? 'The two passwords differ.' : null} onChange={(e) => setRepeat(e.target.value)} />
          <ErrorMessage error={accountError(submit.error)} />
          {done ? <Notice>Password changed. Other sessions have been signed out.</Notice> : null}
          <Button type="submit" loading={submit.isPending} disabled={mismatch} icon={<KeyRound className="size-4" aria-hidden="true" />}>
            Change password
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
