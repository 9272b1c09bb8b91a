import { Mail } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Input, Notice } from '@/components/ui';
import { paths } from '@/config/paths';
import { useMutation } from '@/lib/query';
import { requestPasswordReset } from '../api/password-reset';

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const submit = useMutation(requestPasswordReset);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await submit.mutate(email.trim());
      setSent(true);
    } catch {
      // shown below
    }
  };

  if (sent) {
    return (
      <div className="space-y-4">
        <Notice>If an account uses {email.trim()}, a mail with a link to choose a new password is on its way. The link works once, for 30 minutes.</Notice>
        <p className="text-center text-sm">
          <Link to={paths.login()} className="font-medium text-teal-700 underline-offset-4 hover:underline dark:text-teal-400">
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Input label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <ErrorMessage error={submit.error} />
      <Button type="submit" className="w-full" loading={submit.isPending} icon={<Mail className="size-4" aria-hidden="true" />}>
        Send reset link
      </Button>
    </form>
  );
}
