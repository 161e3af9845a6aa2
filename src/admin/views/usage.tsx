import type { ReactNode } from 'react';
import { Subtitle1 } from '@fluentui/react-components';
import { useConsole, useLoad } from '../context.js';
import type { UsageReport } from '../../contract/console.js';
import { ErrorBar, Loading, RefreshButton, useStyles } from '../components.js';

/** Which templates are used, by whom, per week; and those nobody used in 90 days. */
export default function UsageView(): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const usage = useLoad(() => api.get<UsageReport>('/admin/usage?weeks=8'), []);
  const data = usage.data;
  return (
    <div>
      <section className={styles.section} aria-labelledby="usage-title">
        <div className={styles.row}>
          <Subtitle1 id="usage-title">{t('usage.title')}</Subtitle1>
          <RefreshButton onClick={usage.reload} />
          <Loading loading={usage.loading} />
        </div>
        <ErrorBar error={usage.error} />
        {data && (
          <div style={{ overflowX: 'auto' }}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>{t('packs.template')}</th>
                  {data.weeks.map((w) => (
                    <th key={w}>{w}</th>
                  ))}
                  <th>{t('usage.total')}</th>
                  <th>{t('usage.byWhom')}</th>
                </tr>
              </thead>
              <tbody>
                {data.templates.map((x) => (
                  <tr key={`${x.pack}/${x.template}`}>
                    <td>
                      {x.title} <span className={styles.mono}>{x.pack}/{x.template}</span>
                    </td>
                    {data.weeks.map((w) => (
                      <td key={w}>{x.perWeek[w] ?? ''}</td>
                    ))}
                    <td>
                      <strong>{x.total}</strong>
                    </td>
                    <td>{x.users.map((u) => `${u.email} (${u.count})`).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.templates.length === 0 && <span>{t('common.none')}</span>}
          </div>
        )}
      </section>
      {data && (
        <section className={styles.section} aria-labelledby="unused-title">
          <Subtitle1 id="unused-title">{t('usage.unused', { days: data.unusedDays })}</Subtitle1>
          <ul>
            {data.unused.map((x) => (
              <li key={`${x.pack}/${x.template}`}>
                {x.title} <span className={styles.mono}>{x.pack}/{x.template} (v{x.publishedVersion})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
