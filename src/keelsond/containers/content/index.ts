export { hasBlob, readBlob, setBlobLabels, writeBlob } from "./content-store";
