import type { CommandName } from './commands.ts';

/*
 * What each command does, in the trader's words. Error messages say "Importing the key failed",
 * never "vault.importKey: …": command names are an internal detail of the border.
 */
const WORDS: Partial<Record<CommandName, string>> = {
  'vault.create': 'Creating the vault',
  'vault.unlock': 'Unlocking the vault',
  'vault.lock': 'Locking the vault',
  'vault.importKey': 'Importing the key',
  'vault.deleteKey': 'Deleting the key',
  'vault.addApiKey': 'Adding the API key',
  'vault.deleteApiKey': 'Deleting the API key',
  'vault.exportKey': 'Exporting the key',
  'vault.approveAgent': 'Approving the agent',
  'vault.registerSessionKey': 'Registering the Derive session key',
  'arb.preview': 'Planning the trade',
  'arb.send': 'Sending the legs',
  'arb.unwind': 'Unwinding the open leg',
  'vault.setBudget': 'Approving the budget',
  'vault.setIdleLock': 'Saving the idle lock',
  'vault.journal': 'Reading the signature journal',
  'vault.checkPassphrase': 'Checking the passphrase',
  'ledger.status': 'Asking the Ledger for its state',
  'ledger.addAccount': 'Adding the Ledger account',
  'portfolio.import': 'Importing the positions file',
  'portfolio.accounts': 'Saving the watched accounts',
  'portfolio.whatIf.add': 'Adding the what-if position',
  'app.setNetworks': 'Switching networks',
  'orders.place': 'Placing the order',
  'orders.cancel': 'Cancelling the order',
  'orders.modify': 'Changing the order',
  'orders.cancelAll': 'Cancelling all orders',
  'journal.query': 'Reading the journal',
  'alerts.rule': 'Saving the alert rule',
  'alerts.ack': 'Acknowledging the alert',
  'alerts.topUp': 'Saving the top-up rule',
  'vault.revokeAll': 'Revoking every agent',
  'divest.plan': 'Planning the divestment',
  'divest.execute': 'Starting the divestment',
  'divest.stop': 'Stopping the divestment',
  'divest.arm': 'Arming auto-divestment',
  'divest.protect': 'Setting the protective stop',
};

const AREAS: Record<string, string> = {
  app: 'The request',
  vault: 'The vault request',
  ledger: 'The Ledger request',
  market: 'Loading market data',
  venues: 'Reading the venue status',
  options: 'Loading the options data',
  portfolio: 'Updating the portfolio',
  orders: 'The order request',
  journal: 'Reading the journal',
  alerts: 'Reading the alerts',
  divest: 'The kill-switch request',
};

export function describeCommand(name: CommandName): string {
  return WORDS[name] ?? AREAS[name.slice(0, name.indexOf('.'))] ?? 'The request';
}
