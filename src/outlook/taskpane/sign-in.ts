/**
 * Where the task pane's store token comes from. Dev mode and the playground: the store's dev
 * token, handed over in the URL fragment (`#token=`, never sent to a server) by /dev/taskpane and
 * /dev/playground; the fragment is then removed from the address bar. Outlook: Microsoft sign-in
 * through src/outlook/auth.
 */
export function tokenSource(): () => Promise<string> {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const devToken = fragment.get('token');
  if (devToken) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return async () => devToken;
  }
  return async () => {
    throw new Error('Sign-in is not available in this build');
  };
}
