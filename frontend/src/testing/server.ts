/** The MSW server the component tests run against: handlers are added per test with server.use. */
import { setupServer } from 'msw/node';

export const server = setupServer();
