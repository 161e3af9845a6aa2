// The baseline for the bundle measure: the smallest React + Fluent UI page, built with the same config.
import { createRoot } from 'react-dom/client';
import { FluentProvider, Text, webLightTheme } from '@fluentui/react-components';

createRoot(document.getElementById('root')!).render(
  <FluentProvider theme={webLightTheme}>
    <Text>empty</Text>
  </FluentProvider>,
);
