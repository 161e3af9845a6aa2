import type { ReactNode } from 'react';
import { Tab, TabList } from '@fluentui/react-components';
import type { TeamList } from '../contract/team-inbox.js';
import type { MessageKey, Translate } from './i18n.js';

/**
 * The lists' tabs, a chunk of their own: Fluent's tab list (its styles, tabster's arrow-key
 * handling) is the costliest part of the page's script and not needed to read the first rows, so
 * the page paints its list first and the tabs join it in a slot of their height.
 */
export function ListTabs({ lists, list, onSelect, t }: { lists: readonly TeamList[]; list: TeamList; onSelect: (list: TeamList) => void; t: Translate }): ReactNode {
  return (
    <TabList selectedValue={list} onTabSelect={(_e, d) => onSelect(d.value as TeamList)}>
      {lists.map((l) => <Tab key={l} value={l}>{t(`list.${l}` as MessageKey)}</Tab>)}
    </TabList>
  );
}
