import type { Words } from '../errors/words'
import { PHOTO_REJECT } from './constants'

/** Photo uploads and attaching them to records: refusals merged into the shared catalog. */
export const PHOTO_ERRORS = {
  [PHOTO_REJECT.dimensions]: { zh: '照片尺寸不合适：边长需在 {min}–{max} 像素之间，且不超过 {megapixels} 百万像素', en: 'The photo\'s size is out of bounds: each edge {min}–{max} px, at most {megapixels} megapixels' },
  [PHOTO_REJECT.invalid]: { zh: '照片文件已损坏或不是真正的图片，请重新拍摄或选择', en: 'The file is not a readable image; take or choose the photo again' },
  [PHOTO_REJECT.tooLarge]: { zh: '照片太大（最大 {mb} MB），请重新拍摄或选择较小的照片', en: 'The photo is larger than {mb} MB' },
  [PHOTO_REJECT.quota]: { zh: '已上传但还没有用在记录上的照片太多（最多 {count} 张、{mb} MB）。请先同步，处理"同步失败"中的记录后再试', en: 'Too many uploaded photos are not on a record yet (at most {count} photos, {mb} MB); sync and settle your failed records, then try again' },
  PHOTO_YEAR_QUOTA: { zh: '一年内上传的照片已达上限（{count} 张、{mb} MB），请联系党支部管理员', en: 'You have reached the photo limit for one year ({count} photos, {mb} MB); ask your branch admin' },
  [PHOTO_REJECT.idTaken]: { zh: '这张照片的编号已被另一张照片使用', en: 'This photo id is already used for another photo' },
  [PHOTO_REJECT.type]: { zh: '只能上传 JPEG、PNG 或 WebP 格式的照片', en: 'Only JPEG, PNG or WebP photos can be uploaded' },
  PHOTO_RAW_BODY: { zh: '请以图片内容上传照片', en: 'Send the photo as the raw image body' },
  [PHOTO_REJECT.missing]: { zh: '照片还没有上传到服务器，请重新添加照片后再提交', en: 'A photo was not uploaded; add it again and resubmit' },
  [PHOTO_REJECT.notYours]: { zh: '只能附上自己上传的照片', en: 'You can only attach photos you uploaded' },
  [PHOTO_REJECT.inUse]: { zh: '这张照片已用于另一条记录', en: 'This photo is already attached to another record' },
} as const satisfies Record<string, Words>
