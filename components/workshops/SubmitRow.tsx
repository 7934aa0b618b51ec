'use client';
// The end of a workshop form: its submit button (busy while the request runs) and the error, read out.

export function SubmitRow({
  label,
  busyLabel,
  busy,
  error,
}: {
  label: string;
  busyLabel: string;
  busy: boolean;
  error: string;
}) {
  return (
    <>
      <button type="submit" className="ws-submit" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      <p className="ws-error" role="alert">
        {error}
      </p>
    </>
  );
}
