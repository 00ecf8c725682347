/**
 * `callerHeaders(user)`: the CALLER_HEADERS a gateway controller passes to a service it calls
 * for a verified caller, e.g. `client.json({ path, headers: callerHeaders(user) })`.
 */
export { callerHeaders } from '@petstore/dto';
