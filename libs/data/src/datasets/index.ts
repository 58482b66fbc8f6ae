export {
  FASHION_MNIST_DIR,
  fashionMnistSource,
  locateFashionMnist,
  locateFlightsParquet,
  locatePenguins,
  locateSeattleWeather,
  locateVegaDatasetsDir,
} from './locate';
export type { FashionMnistSplit, IdxPair, TabularDataset } from './locate';
export { generateRockPaperScissors, renderRpsImage, RPS_CLASS_NAMES, RPS_MANIFEST_FILE, ZRockPaperScissorsOptions } from './rps-synthetic';
export type { RockPaperScissorsDataset, RockPaperScissorsOptions, RpsClassName } from './rps-synthetic';
