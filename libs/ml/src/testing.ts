// Test fixtures of @tsfx/ml: an independent TensorBoard event decoder (own CRC-32C and protobuf reader).
export {
  decodeEventFile,
  decodeEventBytes,
  scalarSeries,
  type DecodedEvent,
  type DecodedSummaryValue,
  type DecodedTensor,
  type DecodedHistogram,
  type DecodedHParamsPluginData,
} from './tensorboard/testing/decode-event-file';
