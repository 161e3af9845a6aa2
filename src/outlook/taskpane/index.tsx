import { StrictMode, useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { Body1, Caption1, FluentProvider, Spinner, Subtitle2, Title3, webLightTheme, makeStyles, tokens } from '@fluentui/react-components';
import { StoreClient } from '../../client/store-client.js';
import { useTemplates } from './store.js';

const useStyles = makeStyles({
  page: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  template: { display: 'flex', flexDirection: 'column' },
});

function text(value: string | Record<string, string>, language: string): string {
  return typeof value === 'string' ? value : (value[language] ?? Object.values(value)[0] ?? '');
}

/**
 * The first slice of the task pane: the templates published to the signed-in rep. Until the
 * Office sign-in exists, the token comes from the page's #token= fragment (dev mode only).
 */
function TaskPane() {
  const styles = useStyles();
  const client = useMemo(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
    return new StoreClient({ baseUrl: window.location.origin, token: () => token });
  }, []);
  const { status, packs, error, load } = useTemplates();
  useEffect(() => {
    void load(client);
  }, [client, load]);
  const language = navigator.language.split('-')[0] ?? 'en';

  return (
    <main className={styles.page}>
      <Title3 as="h1">tradepane</Title3>
      {status === 'loading' && <Spinner label="Loading your templates…" />}
      {status === 'error' && <Body1 role="alert">Could not load your templates: {error}</Body1>}
      {status === 'ready' && packs.length === 0 && <Body1>No packs are published to you yet.</Body1>}
      {packs.map((pack) => (
        <section key={pack.pack} aria-label={pack.title}>
          <Subtitle2 as="h2">{pack.title}</Subtitle2>
          <ul>
            {(pack.document.templates ?? []).map((t) => (
              <li key={t.id} className={styles.template}>
                <Body1>{text(t.title, language)}</Body1>
                <Caption1>
                  {t.kind} · {Object.keys(t.variants).join(', ')}
                </Caption1>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FluentProvider theme={webLightTheme}>
      <TaskPane />
    </FluentProvider>
  </StrictMode>,
);
