// What a protected page shows when the session store cannot be read: the person is still signed
// in, and nothing is lost.
export function StoreUnavailable({ title }: { title: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="alert error" role="alert">
        We couldn’t load this page just now. You are still signed in; please reload in a moment.
      </p>
    </>
  );
}
