import { twMerge } from 'tailwind-merge';

/**
 * Joins class names, skipping falsy ones; a later class wins over an earlier conflicting one
 * (`cn(controlClasses, 'w-36')` is w-36, not w-full and w-36 left to stylesheet order).
 */
export function cn(...parts: Array<string | false | null | undefined>): string {
  return twMerge(...parts);
}
