// Decodes the datagrams tools/gcs captured (--raw: one hex line each) with
// node-mavlink, an implementation nobody here wrote, installed from the npm
// registry into build/node-mavlink by tests/system/51-qemu-net-telemetry.sh.
// Prints the packets it accepted (its splitter checks the CRC with its own
// CRC_EXTRA table), the fields of the first HEARTBEAT and ATTITUDE, and
// every STATUSTEXT (events: tests/system/52-qemu-net-simlink.sh).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
const require = createRequire(process.argv[2] + '/')
const { MavLinkPacketSplitter, MavLinkPacketParser, minimal, common } = require('node-mavlink')

const lines = readFileSync(process.argv[3], 'utf8').split('\n').filter(l => l.length > 0)
const REGISTRY = { ...minimal.REGISTRY, ...common.REGISTRY }
const splitter = new MavLinkPacketSplitter({}, { onCrcError: () => {} })
const parser = splitter.pipe(new MavLinkPacketParser())
const seen = {}
const first = {}
const texts = []
parser.on('data', packet => {
  const clazz = REGISTRY[packet.header.msgid]
  const name = clazz ? clazz.MSG_NAME : `id${packet.header.msgid}`
  seen[name] = (seen[name] || 0) + 1
  if (clazz && !first[name]) first[name] = packet.protocol.data(packet.payload, clazz)
  if (name === 'STATUSTEXT') texts.push(packet.protocol.data(packet.payload, clazz))
})
parser.on('end', () => {
  console.log(`node-mavlink: valid ${splitter.validPackages} invalid ${splitter.invalidPackages} unknown ${splitter.unknownPackagesCount ?? 0}`)
  for (const name of Object.keys(seen).sort()) console.log(`node-mavlink: ${name} ${seen[name]}`)
  const hb = first.HEARTBEAT
  if (hb) console.log(`node-mavlink: HEARTBEAT type ${hb.type} autopilot ${hb.autopilot} system_status ${hb.systemStatus} mavlink_version ${hb.mavlinkVersion}`)
  const at = first.ATTITUDE
  if (at) console.log(`node-mavlink: ATTITUDE time_boot_ms ${at.timeBootMs} pitch ${at.pitch.toFixed(4)}`)
  for (const st of texts) console.log(`node-mavlink: STATUSTEXT severity ${st.severity} text '${st.text}'`)
})
for (const l of lines) splitter.write(Buffer.from(l, 'hex'))
splitter.end()
