import type { ReactNode } from 'react';
import { MessageBar, MessageBarBody } from '@fluentui/react-components';

/** The inbox's error bar (parts.tsx's Failure shows the same words plainly until this has loaded). */
export function ErrorBar({ text }: { text: string }): ReactNode {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}
