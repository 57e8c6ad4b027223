export { Badge, type BadgeProps, type BadgeTone } from "./badge";
export {
  Button,
  type ButtonProps,
  type ButtonSize,
  type ButtonStyleOptions,
  type ButtonVariant,
  buttonClasses,
} from "./button";
export { Card, CardHeader, type CardHeaderProps } from "./card";
export { cn } from "./cn";
export { CodeBlock, type CodeBlockProps } from "./code-block";
export { CopyButton, type CopyButtonProps } from "./copy-button";
export { type CodeLanguage, highlight, type Token, type TokenKind } from "./highlight";
export { type TabItem, Tabs, type TabsProps } from "./tabs";
