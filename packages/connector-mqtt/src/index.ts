// @sluice/connector-mqtt: an MQTT source for Sluice, drop-in for Confluent's MqttSourceConnector.
import { readFileSync } from 'node:fs';
import { definePlugin } from '@sluice/core';
import { mqttSource } from './source-connector.ts';

// src/ in the workspace and dist/ when published both sit one level below package.json.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export { mqttSource };

export default definePlugin({
  name: '@sluice/connector-mqtt',
  version,
  connectors: [mqttSource],
  aliases: {
    MqttSourceConnector: 'mqtt-source',
    'io.confluent.connect.mqtt.MqttSourceConnector': 'mqtt-source',
  },
});
