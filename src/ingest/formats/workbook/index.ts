/** The format-neutral workbook model shared by the .xls and .xlsx readers (see model.ts). */
export {
  MAX_CELLS,
  SheetBuilder,
  WorkbookBuilder,
  cellPlace,
  cellRef,
  cellText,
  columnLetters,
  isCellError,
  parseCellRef,
  type CellError,
  type CellValue,
  type Sheet,
  type Workbook,
} from './model.ts';
