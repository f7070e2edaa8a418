// Asks a Kafka broker for cluster metadata over the wire protocol and prints the broker count.
// Used by the stack scripts as the readiness signal: an open port is not enough, the broker
// must answer requests. No dependencies, so it runs before `pnpm install`.
//
// usage: node kafka-metadata.mjs host:port [expectedBrokers] [timeoutMs]
import net from 'node:net';

const [address = '127.0.0.1:9092', expected = '1', timeout = '2000'] = process.argv.slice(2);
const [host, port] = address.split(':');

// Metadata v4 (the oldest version Kafka 4 still accepts): all topics, no auto-creation.
function metadataRequest() {
  const clientId = Buffer.from('sluice-stack');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(4, o); // api version
  o = body.writeInt32BE(1, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o); // topics: null = all
  body.writeInt8(0, o); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function brokerCount(response) {
  // size, correlation id, throttle_time_ms, then the length of the brokers array
  return response.readInt32BE(12);
}

const socket = net.connect({ host, port: Number(port) });
const chunks = [];
const timer = setTimeout(() => fail(`no metadata answer from ${address} within ${timeout} ms`), Number(timeout));
function fail(message) {
  console.error(message);
  socket.destroy();
  process.exit(1);
}
socket.on('connect', () => socket.write(metadataRequest()));
socket.on('error', (err) => fail(`${address}: ${err.message}`));
socket.on('data', (chunk) => {
  chunks.push(chunk);
  const all = Buffer.concat(chunks);
  if (all.length < 4 || all.length < 4 + all.readInt32BE(0)) return;
  clearTimeout(timer);
  socket.end();
  const count = brokerCount(all);
  console.log(`${address}: ${count} broker(s)`);
  process.exit(count >= Number(expected) ? 0 : 1);
});
