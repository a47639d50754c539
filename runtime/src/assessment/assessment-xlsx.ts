/**
 * An assessment as an Excel workbook (.xlsx, written with exceljs as register files are read): the
 * table of `assessmentRows` on the first sheet, counts and rates as numbers, codes as text; the
 * period and unit kind on a second sheet.
 */
import ExcelJS from 'exceljs';
import { assessmentRows } from '@gridflow/engine';
import type { Assessment, AssessmentTableOptions } from '@gridflow/engine';

const UNIT_KINDS: Record<Assessment['unitKind'], string> = { department: '职能部门', street: '街道', community: '社区', grid: '网格', gridWorker: '网格员' };

/** The workbook bytes of an assessment. */
export async function assessmentXlsx(assessment: Assessment, options: AssessmentTableOptions = {}): Promise<Buffer> {
  const rows = assessmentRows(assessment, options);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('考核结果');
  const [header = [], ...body] = rows;
  sheet.addRow(header).font = { bold: true };
  // Columns: unit, name, then numerator / denominator / rate per indicator, then score and grade.
  const scoreIndex = 2 + assessment.indicators.length * 3;
  // Empty cells (no rate, no score) stay empty; counts, rates and the score are numbers; codes and names text.
  for (const cells of body) sheet.addRow(cells.map((cell, i) => (cell === '' ? null : i < 2 || i > scoreIndex ? cell : Number(cell))));
  assessment.indicators.forEach((_indicator, k) => {
    sheet.getColumn(5 + k * 3).numFmt = '0.0000';
  });
  sheet.getColumn(scoreIndex + 1).numFmt = '0.00';
  sheet.getColumn(1).width = 18;
  sheet.getColumn(2).width = 24;
  sheet.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  const about = workbook.addWorksheet('说明');
  about.addRows([['考核期间起（含）', assessment.from], ['考核期间止（不含）', assessment.to], ['考核对象', UNIT_KINDS[assessment.unitKind]]]);
  about.getColumn(1).width = 20;
  about.getColumn(2).width = 32;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
