import type { Catalogue, Translation } from "../../i18n";
import common from "./common";
import contacts from "./contacts";
import inbox from "./inbox";
import settings from "./settings";

const catalogue: Translation<Catalogue> = { ...common, ...inbox, ...settings, ...contacts };
export default catalogue;
