/** The language server's name and version, reported in `initialize` and by the CLI. */
export const SERVER_NAME = 'coffea-casa-servicex';
export const SERVER_VERSION = '0.0.1';
