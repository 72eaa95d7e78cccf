import type { Catalogue, Translation } from "../../catalogue";
import appearance from "./appearance";
import common from "./common";
import contacts from "./contacts";
import inbox from "./inbox";
import settings from "./settings";

const catalogue: Translation<Catalogue> = { ...common, ...inbox, ...settings, ...appearance, ...contacts };
export default catalogue;
