import React from 'react';
import PropTypes from 'prop-types';
import { IntlProvider, useIntl } from '@edx/frontend-platform/i18n';

import { messagesFor } from '../i18n';

/**
 * Adds this package's translations to the MFE's: an MFE's IntlProvider carries only the messages
 * the MFE was built with. The locale stays the MFE's, and the MFE's own messages (Paragon's
 * included) stay available inside.
 */
const CreditsIntl = ({ children }) => {
  const outer = useIntl();
  const messages = React.useMemo(
    () => ({ ...(outer.messages || {}), ...messagesFor(outer.locale) }),
    [outer.messages, outer.locale],
  );
  return (
    <IntlProvider locale={outer.locale} defaultLocale={outer.defaultLocale || 'en'} messages={messages}>
      {children}
    </IntlProvider>
  );
};

CreditsIntl.propTypes = { children: PropTypes.node.isRequired };

/** ``Component`` rendered inside CreditsIntl (what each exported widget is). */
export const withCreditsIntl = (Component) => {
  const Wrapped = (props) => <CreditsIntl><Component {...props} /></CreditsIntl>;
  Wrapped.displayName = `withCreditsIntl(${Component.displayName || Component.name || 'Component'})`;
  return Wrapped;
};

export default CreditsIntl;
