import { Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ApiError, refusalKind } from '../client/api-error.js';
import { useConsole } from './context.js';

export const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, marginBottom: tokens.spacingVerticalXXL },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  table: { borderCollapse: 'collapse', width: '100%', '& th, & td': { textAlign: 'left', padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, verticalAlign: 'top' } },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  editor: { fontFamily: tokens.fontFamilyMonospace, minHeight: '22rem', width: '100%' },
  preview: { border: `1px solid ${tokens.colorNeutralStroke1}`, padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground1, overflowX: 'auto' },
  added: { backgroundColor: '#e6ffec', whiteSpace: 'pre-wrap', margin: 0 },
  removed: { backgroundColor: '#ffebe9', whiteSpace: 'pre-wrap', margin: 0 },
  same: { color: tokens.colorNeutralForeground3, whiteSpace: 'pre-wrap', margin: 0 },
  bad: { color: tokens.colorPaletteRedForeground1 },
  good: { color: tokens.colorPaletteGreenForeground1 },
});

/** An error from the store, with its field-by-field details. */
export function ErrorBar({ error }: { error: unknown }): ReactNode {
  const { t } = useConsole();
  if (!error) return null;
  const details = error instanceof ApiError ? error.details : [];
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {t('refusal.withDetail', { what: t(`refusal.${refusalKind(error)}`), detail: error instanceof Error ? error.message : String(error) })}
        {details.length > 0 && (
          <ul>
            {details.slice(0, 20).map((d, i) => (
              <li key={i}>
                {d.path}: {d.message}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ intent = 'success', children }: { intent?: 'success' | 'info' | 'warning'; children: ReactNode }): ReactNode {
  return (
    <MessageBar intent={intent} role="status">
      <MessageBarBody>{children}</MessageBarBody>
    </MessageBar>
  );
}

export function Loading({ loading }: { loading: boolean }): ReactNode {
  const { t } = useConsole();
  return loading ? <Spinner size="tiny" label={t('app.loading')} /> : null;
}

export function RefreshButton({ onClick }: { onClick: () => void }): ReactNode {
  const { t } = useConsole();
  return (
    <Button appearance="subtle" onClick={onClick}>
      {t('common.refresh')}
    </Button>
  );
}

/** Runs an action, keeping its error and busy state for the button that started it. */
export async function run<T>(setBusy: (b: boolean) => void, setError: (e: unknown) => void, action: () => Promise<T>): Promise<T | undefined> {
  setBusy(true);
  setError(undefined);
  try {
    return await action();
  } catch (error) {
    setError(error);
    return undefined;
  } finally {
    setBusy(false);
  }
}
