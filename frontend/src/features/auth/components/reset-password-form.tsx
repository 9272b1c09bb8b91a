import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Input, Notice } from '@/components/ui';
import { paths } from '@/config/paths';
import { ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/auth';
import { useMutation } from '@/lib/query';
import { confirmPasswordReset } from '../api/password-reset';

const linkClasses = 'font-medium text-teal-700 underline-offset-4 hover:underline dark:text-teal-400';

/** A new password through the mailed link's token; every session of the account ends. */
export function ResetPasswordForm({ token }: { token: string }) {
  const [newPassword, setNew] = useState('');
  const [done, setDone] = useState(false);
  const submit = useMutation(confirmPasswordReset);
  const { status, logout } = useSession();

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await submit.mutate({ token, newPassword });
      // Every session ended, this browser's too: forget it here at once rather than on the next 401.
      if (status === 'signed-in') await logout().catch(() => undefined);
      setDone(true);
    } catch {
      // shown below
    }
  };

  if (done) {
    return (
      <div className="space-y-4">
        <Notice>Your password is changed and every session was signed out.</Notice>
        <p className="text-center text-sm">
          <Link to={paths.login()} className={linkClasses}>
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  const invalidLink = submit.error instanceof ApiError && submit.error.code === 'INVALID_TOKEN';
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {!token ? <Notice tone="warning">This link has no token. Open the link from the mail again.</Notice> : null}
      <Input label="New password" type="password" name="newPassword" autoComplete="new-password" required minLength={10} maxLength={256} hint="At least 10 characters, not your email and not a common password." value={newPassword} onChange={(e) => setNew(e.target.value)} />
      <ErrorMessage error={invalidLink ? new Error('This link was used already or has expired. Ask for a new one.') : submit.error} />
      {invalidLink ? (
        <p className="text-sm">
          <Link to={paths.forgotPassword} className={linkClasses}>
            Send a new link
          </Link>
        </p>
      ) : null}
      <Button type="submit" className="w-full" loading={submit.isPending} disabled={!token} icon={<KeyRound className="size-4" aria-hidden="true" />}>
        Set new password
      </Button>
    </form>
  );
}
