export { Badge, type BadgeProps, type BadgeTone } from "./badge";
export {
  Button,
  type ButtonProps,
  type ButtonSize,
  type ButtonStyleOptions,
  type ButtonVariant,
  buttonClasses,
} from "./button";
export { Card, CardHeader, type CardHeaderProps, type CardProps } from "./card";
export { cn } from "./cn";
export { CodeBlock, type CodeBlockProps } from "./code-block";
export { CopyButton, type CopyButtonProps } from "./copy-button";
export { Dialog, type DialogProps } from "./dialog";
export { EmptyState, type EmptyStateProps } from "./empty-state";
export { type CodeLanguage, highlight, type Token, type TokenKind } from "./highlight";
export {
  Field,
  type FieldProps,
  Input,
  type InputProps,
  Label,
  Select,
  type SelectProps,
  TextField,
  type TextFieldProps,
} from "./input";
export { Stat, type StatProps } from "./stat";
export { Table, type TableColumn, TableHeader, TBody, TD, TH, THead, TR } from "./table";
export { type TabItem, Tabs, type TabsProps } from "./tabs";
