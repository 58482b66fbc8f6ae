/**
 * Encoders for the hparams plugin's `HParamsPluginData` (tensorboard/plugins/hparams/plugin_data.proto),
 * the bytes that go into `SummaryMetadata.plugin_data.content` under plugin "hparams".
 * `version` is PLUGIN_DATA_VERSION = 0, the proto3 default, so it is left out as TensorBoard's
 * own Python writer leaves it out.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  EXPERIMENT,
  HPARAM_DATA_TYPE,
  HPARAM_INFO,
  HPARAMS_PLUGIN_DATA,
  MAP_ENTRY,
  METRIC_INFO,
  METRIC_NAME,
  PROTOBUF_VALUE,
  SESSION_START_INFO,
} from './proto-fields';

export type THParamValue = string | number | boolean;

/**
 * A metric the hparams dashboard shows per session: scalar `tag` in the run `<session run>/<group>`;
 * group '' is the session run itself (api.proto `MetricName`).
 */
export type MetricRef = { tag: string; group: string };

function encodeProtobufValue(value: THParamValue): Uint8Array {
  const writer = new BinaryWriter();
  if (typeof value === 'boolean') writer.tag(PROTOBUF_VALUE.boolValue, WireType.Varint).bool(value);
  else if (typeof value === 'number') writer.tag(PROTOBUF_VALUE.numberValue, WireType.Bit64).double(value);
  else writer.tag(PROTOBUF_VALUE.stringValue, WireType.LengthDelimited).string(value);
  return writer.finish();
}

function hparamDataType(value: THParamValue): number {
  if (typeof value === 'boolean') return HPARAM_DATA_TYPE.BOOL;
  if (typeof value === 'number') return HPARAM_DATA_TYPE.FLOAT64;
  return HPARAM_DATA_TYPE.STRING;
}

/** Sorted by name so that the same hparams always give the same bytes. */
function sortedEntries(hparams: Readonly<Record<string, THParamValue>>): [string, THParamValue][] {
  return Object.entries(hparams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `HParamsPluginData{session_start_info}`: this run's hparam values. */
export function encodeSessionStartPluginData(
  hparams: Readonly<Record<string, THParamValue>>,
  groupName: string,
  startTimeSecs: number,
): Uint8Array {
  const info = new BinaryWriter();
  for (const [name, value] of sortedEntries(hparams)) {
    const entry = new BinaryWriter()
      .tag(MAP_ENTRY.key, WireType.LengthDelimited)
      .string(name)
      .tag(MAP_ENTRY.value, WireType.LengthDelimited)
      .bytes(encodeProtobufValue(value))
      .finish();
    info.tag(SESSION_START_INFO.hparams, WireType.LengthDelimited).bytes(entry);
  }
  info
    .tag(SESSION_START_INFO.groupName, WireType.LengthDelimited)
    .string(groupName)
    .tag(SESSION_START_INFO.startTimeSecs, WireType.Bit64)
    .double(startTimeSecs);
  return new BinaryWriter().tag(HPARAMS_PLUGIN_DATA.sessionStartInfo, WireType.LengthDelimited).bytes(info.finish()).finish();
}

/**
 * `HParamsPluginData{experiment}`: which hparams (name and type) and metrics the dashboard lists.
 * No domains: TensorBoard keeps one experiment for the whole logdir, whichever run it reads first,
 * so a domain taken from one run's values would hide the other runs in the dashboard's filters.
 */
export function encodeExperimentPluginData(
  hparams: Readonly<Record<string, THParamValue>>,
  metrics: readonly MetricRef[],
  timeCreatedSecs: number,
): Uint8Array {
  const experiment = new BinaryWriter().tag(EXPERIMENT.timeCreatedSecs, WireType.Bit64).double(timeCreatedSecs);
  for (const [name, value] of sortedEntries(hparams)) {
    const info = new BinaryWriter()
      .tag(HPARAM_INFO.name, WireType.LengthDelimited)
      .string(name)
      .tag(HPARAM_INFO.type, WireType.Varint)
      .int32(hparamDataType(value))
      .finish();
    experiment.tag(EXPERIMENT.hparamInfos, WireType.LengthDelimited).bytes(info);
  }
  for (const metric of metrics) {
    const name = new BinaryWriter()
      .tag(METRIC_NAME.group, WireType.LengthDelimited)
      .string(metric.group)
      .tag(METRIC_NAME.tag, WireType.LengthDelimited)
      .string(metric.tag)
      .finish();
    const info = new BinaryWriter().tag(METRIC_INFO.name, WireType.LengthDelimited).bytes(name).finish();
    experiment.tag(EXPERIMENT.metricInfos, WireType.LengthDelimited).bytes(info);
  }
  return new BinaryWriter().tag(HPARAMS_PLUGIN_DATA.experiment, WireType.LengthDelimited).bytes(experiment.finish()).finish();
}
