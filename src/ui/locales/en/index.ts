// English: the catalogue every other language translates, key for key.
import appearance from "./appearance";
import common from "./common";
import contacts from "./contacts";
import inbox from "./inbox";
import settings from "./settings";

export default { ...common, ...inbox, ...settings, ...appearance, ...contacts };
