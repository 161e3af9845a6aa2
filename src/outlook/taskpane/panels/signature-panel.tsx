import { useCallback, useEffect, useState } from 'react';
import { Badge, Body1, Button, Caption1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError } from '../../../client/api-error.js';
import type { MySignature } from '../../../contract/signatures.js';
import { verifySignature, type SignatureVerdict } from '../../../core/signature/marker.js';
import { ActionStatus } from '../components.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

const SIGNATURE_CACHE = 'signature:mine';

/**
 * The enforced signature: is it in this message as the company set it (present / missing /
 * altered, by the core's marker check — the same one the on-send handler runs), and re-apply it.
 * The last signature the store gave is cached, so the check works offline.
 */
export default function SignaturePanel() {
  const { t, client, host, cache } = usePane();
  const styles = useStyles();
  const [state, setState] = useState<SignatureVerdict | null>(null);

  const load = useStoreAction(async (): Promise<MySignature | null> => {
    try {
      const signature = await client.mySignature();
      void cache.set(SIGNATURE_CACHE, JSON.stringify(signature));
      return signature;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      const cached = await cache.get(SIGNATURE_CACHE).catch(() => null);
      if (cached) return JSON.parse(cached) as MySignature;
      throw error;
    }
  });
  const signature = load.state.status === 'done' ? load.state.value : undefined;

  const check = useCallback(async () => {
    if (!signature) return;
    setState(verifySignature(await host.getBodyHtml(), { id: signature.signature, hash: signature.hash }));
  }, [host, signature]);

  useEffect(() => {
    void load.run();
  }, []); // deps on purpose: once per item
  useEffect(() => {
    void check();
  }, [check]);
  // Office raises no event when the body changes, so the status follows the body by checking again
  // whenever the rep comes back to the pane (focus, the pane shown again, the pointer entering it):
  // a deleted signature never stays "present and unchanged" until "Check again".
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void check();
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', again);
    };
  }, [check]);

  const apply = useStoreAction(async () => {
    if (!signature) return;
    await host.setSignature(signature.html);
    await check();
  });

  return (
    <section className={styles.panel} aria-label={t('tab.signature')} onPointerEnter={() => void check()} onFocus={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && void check()}>
      <ActionStatus state={load.state} onRetry={load.retry} />
      {signature === null && <Body1>{t('sig.none')}</Body1>}
      {signature && (
        <>
          <Body1>{t('sig.enforced', { signature: signature.signature })}</Body1>
          <Caption1>{t(`sig.policy.${signature.policy.signatureOnSend}`)}</Caption1>
          <div className={styles.row}>
            <Subtitle2 as="h3">{t('sig.status')}</Subtitle2>
            {state && (
              <Badge role="status" color={state.state === 'present' ? 'success' : 'danger'} aria-label={`${t('sig.status')}: ${t(`sig.${state.state}`)}`}>
                {t(`sig.${state.state}`)}
              </Badge>
            )}
          </div>
          {state && <Caption1>{t(`sig.why.${state.why}`, { signature: signature.signature, found: state.found ?? '' })}</Caption1>}
          <div className={styles.row}>
            <Button appearance={state?.state === 'present' ? 'secondary' : 'primary'} onClick={() => void apply.run()}>
              {t('sig.reapply')}
            </Button>
            <Button appearance="subtle" onClick={() => void check()}>
              {t('sig.check')}
            </Button>
          </div>
          <ActionStatus state={apply.state} onRetry={apply.retry} done={() => <Caption1 role="status">{t('sig.reapplied')}</Caption1>} />
        </>
      )}
    </section>
  );
}
