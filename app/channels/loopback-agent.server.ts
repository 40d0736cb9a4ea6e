import https from "node:https";
import net from "node:net";

/**
 * An https.Agent whose sockets are plain TCP to 127.0.0.1:<port>.
 *
 * amazon-sp-api and ebay-api hard-code their hosts (sellingpartnerapi-na.amazon.com, api.amazon.com,
 * api.ebay.com, the S3 host of a feed document) and offer no base-URL option, but both hand every request
 * to an injected agent (`options.https_proxy_agent`, `axiosConfig.httpsAgent`). Returning a plain socket
 * from createConnection skips TLS, so the request reaches the local sandbox unchanged: same path, same
 * Host header, which the sandbox routes on exactly as the real hosts differ. An http.Agent cannot be used
 * instead: Node rejects it for https URLs (ERR_INVALID_PROTOCOL).
 *
 * Adapters receive the port through their config (never from process.env), so production code paths
 * never construct one.
 */
export class LoopbackAgent extends https.Agent {
  readonly port: number;

  constructor(port: number, options: https.AgentOptions = {}) {
    // keepAlive: a sync makes hundreds of calls; reusing sockets keeps the sandbox tests fast.
    super({ keepAlive: true, ...options });
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new RangeError(`LoopbackAgent: invalid port ${port}`);
    this.port = port;
  }

  // Returning the socket synchronously is enough: Node's Agent uses a returned socket as if the callback had
  // been called with it, and connection errors surface as the request's "error" event.
  override createConnection(): net.Socket {
    return net.connect(this.port, "127.0.0.1");
  }
}
