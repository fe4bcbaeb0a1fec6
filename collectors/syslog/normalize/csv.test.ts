import { splitCsv } from './csv';

describe('CSV splitter', () => {
  it('keeps empty and trailing fields', () => {
    expect(splitCsv('a,b,,c,')).toEqual(['a', 'b', '', 'c', '']);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(splitCsv('a,"b,c",d,"e""f",,"g"')).toEqual(['a', 'b,c', 'd', 'e"f', '', 'g']);
    expect(splitCsv('"x",')).toEqual(['x', '']);
  });

  it('takes the rest of the line for an unterminated quote', () => {
    expect(splitCsv('a,"open,rest')).toEqual(['a', 'open,rest']);
  });
});
