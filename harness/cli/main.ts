export async function main(argv: readonly string[]): Promise<number> {
  console.log('bootsim', argv.join(' '));
  return 0;
}
