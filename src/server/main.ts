import { reportStartError, startServer } from './server'

/** The compiled server's entry (scripts/build-server.mjs bundles it into dist/server/server.mjs). */
startServer().catch(reportStartError)
